# The configuration behind plan.json: every kind of resource that launches EC2 instances that imglint reads.
# imglint finds these blocks (the plan's directory holds .tf files) and reports findings on their lines.

variable "region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region = var.region
}

resource "aws_launch_template" "app" {
  name        = "app"
  description = "app servers"
  image_id    = "ami-0006118602dfc1c09" # AL2023 x86_64
}

resource "aws_launch_template" "arm" {
  name        = "arm"
  description = "arm servers"
  image_id    = "ami-04fc404d256fd34a2" # AL2023 arm64
}

resource "aws_autoscaling_group" "web" {
  name               = "web"
  min_size           = 2
  max_size           = 12
  availability_zones = ["us-east-1a", "us-east-1b"]

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 2
      on_demand_percentage_above_base_capacity = 25
      spot_allocation_strategy                 = "price-capacity-optimized"
    }
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.app.id
        version            = "$Latest"
      }
      override {
        instance_type = "c5.large"
      }
      override {
        instance_type = "m5.large"
      }
      override {
        instance_type = "m6g.large"
        launch_template_specification {
          launch_template_id = aws_launch_template.arm.id
          version            = "$Latest"
        }
      }
      override {
        instance_requirements {
          vcpu_count {
            min = 2
            max = 4
          }
          memory_mib {
            min = 4096
            max = 16384
          }
          instance_generations = ["current"]
        }
      }
    }
  }
}

resource "aws_launch_configuration" "legacy" {
  name          = "legacy-lc"
  image_id      = "ami-0e972d2890378139a" # paravirtual
  instance_type = "m3.medium"
}

resource "aws_autoscaling_group" "legacy" {
  name                 = "legacy"
  min_size             = 0
  max_size             = 2
  availability_zones   = ["us-east-1a"]
  launch_configuration = aws_launch_configuration.legacy.name
}

resource "aws_spot_fleet_request" "batch" {
  iam_fleet_role  = "arn:aws:iam::123456789012:role/spot-fleet"
  target_capacity = 4

  launch_specification {
    ami               = "ami-05448533fbe614dce" # Amazon Linux 2
    instance_type     = "t3.large"
    availability_zone = "us-east-1c"
  }

  launch_template_config {
    launch_template_specification {
      id      = aws_launch_template.arm.id
      version = "$Latest"
    }
    overrides {
      instance_type = "c5.xlarge"
    }
  }
}

resource "aws_ec2_fleet" "render" {
  type = "maintain"
  target_capacity_specification {
    default_target_capacity_type = "spot"
    total_target_capacity        = 2
  }
  launch_template_config {
    launch_template_specification {
      launch_template_id = aws_launch_template.app.id
      version            = "$Latest"
    }
    override {
      instance_type = "r5.large"
    }
    override {
      instance_type = "r6i.large"
    }
  }
}

resource "aws_eks_node_group" "system" {
  cluster_name    = "main"
  node_group_name = "system"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0123456789abcdef0"]
  ami_type        = "AL2023_x86_64_STANDARD"
  instance_types  = ["m5.large"]
  scaling_config {
    desired_size = 2
    max_size     = 3
    min_size     = 1
  }
}

resource "aws_instance" "from_template" {
  instance_type = "c5.large"
  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
  tags = {
    Name = "from-template"
  }
}

resource "aws_cloud9_environment_ec2" "dev" {
  name          = "dev"
  instance_type = "t3.small"
  image_id      = "resolve:ssm:/aws/service/cloud9/amis/amazonlinux-2023-x86_64"
}

# Reserves capacity and launches nothing: no target.
resource "aws_ec2_capacity_reservation" "batch" {
  instance_type     = "c5.xlarge"
  instance_platform = "Linux/UNIX"
  availability_zone = "us-east-1a"
  instance_count    = 2
}
